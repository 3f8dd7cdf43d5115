"""How many units an export still shows one by one: said once, for the exports and the help.

Up to `CITY_LAYOUT_ABOVE` units, the deck and the PDF show every unit in full (a slide
per indicator and unit is a deck a meeting can still go through: 8 units are about 125
slides).  Above it, the city layout (`exports.city`): a summary of the city, the red and
amber items, and in full only the units asked for.
"""

CITY_LAYOUT_ABOVE = 8
