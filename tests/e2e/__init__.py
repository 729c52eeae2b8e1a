"""End-to-end tests: documented workflows run as a user would run them."""
