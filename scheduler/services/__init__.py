"""Services of the scheduler: plain keyword-only functions called by tasks, commands and admin views."""
