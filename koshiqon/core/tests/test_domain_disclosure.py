from koshiqon.core.domain.disclosure import MIN_CELL, fold_small, is_small, suppressed


def test_one_to_four_persons_are_a_small_cell_but_none_and_five_are_not():
    assert MIN_CELL == 5
    assert [is_small(n) for n in (0, 1, 4, 5, 100)] == [False, True, True, False, False]


def test_small_groups_are_folded_together_and_the_others_kept_in_order():
    kept, folded = fold_small([("KZ", 40), ("CN", 5), ("UZ", 4), ("MN", 1), ("DE", 0)])
    assert kept == [("KZ", 40), ("CN", 5), ("DE", 0)] and folded == 5
    assert fold_small([("KZ", 3)], min_cell=3) == ([("KZ", 3)], 0)


def test_a_lone_small_cell_takes_the_next_smallest_non_zero_cell_with_it():
    assert suppressed([40, 9, 2, 0]) == {1, 2}
    assert suppressed([40, 3, 2, 0]) == {1, 2}  # two small cells: neither can be worked out alone
    assert suppressed([40, 9, 7]) == set()
    assert suppressed([3]) == {0}  # nothing else to hide
