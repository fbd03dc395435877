"""Framework definitions (data files) and template assets, shipped as package data."""
