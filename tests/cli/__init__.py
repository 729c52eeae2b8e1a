"""Tests of the grove command line."""
