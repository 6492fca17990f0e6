"""Lists stay at a constant number of queries however many referrals they show."""


def test_given_many_referrals_when_listing_then_query_count_is_constant(api_client, refer, django_assert_max_num_queries):
    for i in range(6):
        refer(given_name=f"Personne{i}")
    client = api_client("reception.bamako")
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/referrals?page_size=50").json()
    assert body["count"] == 6
    partner = api_client("partner.cfpm")
    with django_assert_max_num_queries(8):
        assert partner.get("/api/v1/referrals/inbox").json()["count"] == 6


def test_given_directory_when_listing_then_query_count_is_constant(api_client, directory,
                                                                   django_assert_max_num_queries):
    client = api_client("reception.bamako")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/referrals/services?page_size=200").json()["count"] == len(directory)


def test_given_many_referrals_when_opening_pages_then_query_count_is_constant(web_client, refer,
                                                                            django_assert_max_num_queries):
    for i in range(6):
        refer(given_name=f"Personne{i}")
    caseworker, partner = web_client("reception.bamako"), web_client("partner.cfpm")
    with django_assert_max_num_queries(15):
        assert caseworker.get("/referrals/").status_code == 200
    with django_assert_max_num_queries(15):
        assert partner.get("/referrals/inbox/").status_code == 200
