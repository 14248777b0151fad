from koshiqon.core.domain.disclosure import MIN_CELL, fold_small, is_small


def test_one_to_four_persons_are_a_small_cell_but_none_and_five_are_not():
    assert MIN_CELL == 5
    assert [is_small(n) for n in (0, 1, 4, 5, 100)] == [False, True, True, False, False]


def test_small_groups_are_folded_together_and_the_others_kept_in_order():
    kept, folded = fold_small([("KZ", 40), ("CN", 5), ("UZ", 4), ("MN", 1), ("DE", 0)])
    assert kept == [("KZ", 40), ("CN", 5), ("DE", 0)] and folded == 5
    assert fold_small([("KZ", 3)], min_cell=3) == ([("KZ", 3)], 0)
