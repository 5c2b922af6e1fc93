from xuncha.text import pinyin_initials


def test_it_gives_initials_of_a_place_name():
    assert pinyin_initials("红山镇") == "hsz"


def test_it_handles_traditional_characters_and_latin():
    assert pinyin_initials("東門村") == "dmc"
    assert pinyin_initials("县财政局ABC") == "xczjabc"


def test_it_drops_punctuation_and_is_empty_for_empty_text():
    assert pinyin_initials("城关镇（党委）") == "cgzdw"
    assert pinyin_initials("") == ""


def test_it_keeps_full_width_digits_and_letters():
    assert pinyin_initials("第２村ＡＢ") == "d2cab"
