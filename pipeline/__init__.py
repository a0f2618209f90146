"""dpa: review vendor data processing agreements (GDPR Art. 28) locally, side by side."""

__version__ = "0.1.0"
