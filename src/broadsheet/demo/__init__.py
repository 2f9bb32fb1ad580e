"""The demo site loaded by ``broadsheet demo``: original texts about a fictional city.

Wrenmouth, its council, its tramway, its institute and its readers are all made
up for the demo; so are the outlets some articles are "republished" from.
"""
