from koshiqon.core.domain.audit import GENESIS, ChainLink, chain_hash, verify_chain


def _chain(contents):
    links, prev = [], GENESIS
    for seq, content in enumerate(contents, start=1):
        h = chain_hash(prev, content)
        links.append(ChainLink(seq, prev, h, content))
        prev = h
    return links


def test_an_untouched_chain_verifies():
    assert verify_chain(_chain([{"a": 1}, {"b": 2}, {"c": 3}])) is None


def test_the_hash_does_not_depend_on_key_order():
    assert chain_hash(GENESIS, {"a": 1, "b": 2}) == chain_hash(GENESIS, {"b": 2, "a": 1})


def test_an_edited_event_is_the_first_broken_link():
    links = _chain([{"a": 1}, {"b": 2}, {"c": 3}])
    links[1] = ChainLink(2, links[1].prev_hash, links[1].hash, {"b": 999})
    broken = verify_chain(links)
    assert broken is not None and broken.seq == 2 and "edited" in broken.reason


def test_a_deleted_event_breaks_the_chain_where_it_was():
    links = _chain([{"a": 1}, {"b": 2}, {"c": 3}])
    del links[1]
    broken = verify_chain(links)
    assert broken is not None and broken.seq == 2 and "missing" in broken.reason


def test_an_event_rehashed_after_editing_still_breaks_the_next_link():
    links = _chain([{"a": 1}, {"b": 2}, {"c": 3}])
    forged = {"b": 999}
    links[1] = ChainLink(2, links[1].prev_hash, chain_hash(links[1].prev_hash, forged), forged)
    broken = verify_chain(links)
    assert broken is not None and broken.seq == 3
