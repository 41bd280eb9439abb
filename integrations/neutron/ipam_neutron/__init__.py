"""Neutron IPAM driver backed by Ipam's HTTP API."""
