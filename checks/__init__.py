"""Built-in check plugins, installed as ``oshealth.checks``; each module holds one check."""
