"""Gongkai: a static archive generator for government information-disclosure reports."""

__version__ = "0.1.0"
