"""Who may do what: accounts, roles and the check every write makes on the server."""
