"""HTTP routers, one per resource, with their schemas beside them."""
