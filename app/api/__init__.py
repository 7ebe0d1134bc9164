"""How the JSON API speaks: Bearer auth, problem details, paging, bodies, OpenAPI docs. Feature controllers live
in app/domain.
"""
