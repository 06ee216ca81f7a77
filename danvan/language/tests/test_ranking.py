from danvan.language.ranking import PHRASE, rank, score


def ranked_ids(groups, texts):
    docs = [(pk, pk, text) for pk, text in enumerate(texts, start=1)]
    return [source_id for _, source_id, _ in rank(groups, docs)]


def test_the_phrase_tier_comes_first_even_across_punctuation():
    groups = [["giai"], ["phong"], ["mat"], ["bang"]]
    texts = ["bang giai phong mat", "giai phong, mat bang", "mat bang giai phong bang bang"]
    assert ranked_ids(groups, texts)[0] == 2


def test_within_a_tier_more_mentions_in_fewer_words_rank_higher():
    texts = ["duong hong", "duong duong hong", "duong " + "ruong " * 40]
    assert ranked_ids([["duong"]], texts) == [2, 1, 3]


def test_a_variant_counts_for_its_word_and_ties_go_to_the_newer():
    texts = ["bang hong", "bnag hong"]
    assert ranked_ids([["bnag", "bang"], ["hong"]], texts) == [2, 1]


def test_a_number_the_tokenizer_splits_is_found_whole():
    texts = ["phat 1 200 000 dong", "phat 1 dong"]
    assert ranked_ids([["1.200.000"], ["dong"]], texts)[0] == 1


def test_scores_stay_inside_their_tier():
    assert 0 <= score(0.0, 1e9) < PHRASE <= score(PHRASE, 0.0)
    assert score(0.0, -3.0) == 0.0


def test_nothing_to_rank():
    assert rank([["a"]], []) == []


def test_the_words_in_order_with_another_between_are_no_phrase():
    groups = [["mat"], ["bang"]]
    texts = ["mat bang", "mat xanh bang bang bang"]
    assert rank(groups, [(1, 1, texts[1]), (2, 2, texts[0])])[0][1] == 2
    assert rank(groups, [(1, 1, texts[1])])[0][2] < PHRASE
