from ninja import Router

router = Router(tags=["assistance"])
# Mounted at /people: GET /people/{id}/eligibility (CONTRACT.md "Assistance").
eligibility_router = Router(tags=["assistance"])
