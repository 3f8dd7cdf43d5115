"""Ward reports submitted in the browser (or from the shell): templates, checks, the ledger."""
