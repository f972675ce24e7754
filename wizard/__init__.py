"""MailWizard: set up a mail account from just an address and a password."""

__version__ = "0.1.0"
