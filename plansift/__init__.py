"""The plansift command line: the only module that may import every package."""
