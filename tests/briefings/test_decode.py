"""Decoding a fetched page: the charset the header declares, else the one the document declares,
else charset_normalizer's detection, else UTF-8 with replacement characters."""

from __future__ import annotations

import time

import pytest

from briefings.poll import _decode

CYRILLIC = (
    "Маріуполь: міська рада повідомила про 2187 загиблих мешканців. Обстріли міста тривають "
    "вже третій тиждень, гуманітарні коридори знову зірвані, а евакуація мирного населення "
    "до Запоріжжя відкладена через постійні бомбардування житлових кварталів."
)
JAPANESE = (
    "東京で大規模な火災が発生し、多くの住民が避難した。消防当局によると、けが人はいない模様だ。"
    "警察は出火の原因を調べている。"
)
FRENCH = "Les élèves ont quitté l'école à midi ; « déjà » dit le maître, naïf et ému."


def page(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_utf8_without_declaration() -> None:
    html = page("Café “quoted” — naïve, 2 187 загиблих")
    assert _decode(html.encode("utf-8"), "text/html") == html


def test_windows_1251_without_declaration_is_detected() -> None:
    html = page(CYRILLIC)
    assert _decode(html.encode("windows-1251"), "text/html") == html


def test_shift_jis_without_declaration_is_detected() -> None:
    html = page(JAPANESE)
    assert _decode(html.encode("shift_jis"), "") == html


@pytest.mark.parametrize("content_type", [
    "text/html; charset=foo",  # unknown
    "text/html; charset=base64",  # a Python codec, not a charset
    "text/html; charset=",
    "text/html; charset=\"\"",
])
def test_unknown_header_charset_falls_back_to_detection(content_type: str) -> None:
    html = page(CYRILLIC)
    assert _decode(html.encode("windows-1251"), content_type) == html


def test_unknown_header_charset_falls_back_to_document_declaration() -> None:
    html = page(FRENCH, '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
    assert _decode(html.encode("iso-8859-1"), "text/html; charset=foo") == html


def test_header_charset_wins_over_document_declaration() -> None:
    html = page(CYRILLIC, '<meta charset="utf-8">')
    assert _decode(html.encode("koi8-u"), 'text/html; Charset="KOI8-U"') == html


def test_xml_declared_iso_8859_1_feed() -> None:
    xml = (f'<?xml version="1.0" encoding="iso-8859-1"?>\n'
           f"<rss><item><title>{FRENCH}</title></item></rss>")
    assert _decode(xml.encode("iso-8859-1"), "application/rss+xml") == xml


def test_meta_charset_in_the_document() -> None:
    html = page(CYRILLIC, "<meta charset=windows-1251>")
    assert _decode(html.encode("windows-1251"), "text/html") == html


def test_latin1_label_means_windows_1252_as_in_browsers() -> None:
    # Pages labelled ISO-8859-1 use windows-1252's curly quotes; ISO-8859-1 would make them
    # control characters.
    html = page("“Quoted” – said the minister", '<meta charset="iso-8859-1">')
    assert _decode(html.encode("windows-1252"), "text/html") == html


def test_a_charset_word_outside_a_meta_tag_is_not_a_declaration() -> None:
    script = '<script>xhr.setRequestHeader("Content-Type", "text/plain; charset=koi8-u")</script>'
    html = page(CYRILLIC, script)
    assert _decode(html.encode("windows-1251"), "text/html") == html


def test_byte_order_mark_wins_and_is_dropped() -> None:
    html = page(JAPANESE)
    assert _decode(b"\xef\xbb\xbf" + html.encode("utf-8"), "text/html; charset=iso-8859-1") == html
    assert _decode(html.encode("utf-16"), "text/html") == html


def test_empty_and_ascii_bodies() -> None:
    assert _decode(b"", "") == ""
    assert _decode(b"", "text/html; charset=foo") == ""
    assert _decode(b"<p>plain</p>", "") == "<p>plain</p>"


def test_undetectable_bytes_become_replacement_characters() -> None:
    text = _decode(b"<p>\xff\xfe\x00\x81\x8d\x9d\xfe\xff</p>" * 3, "")
    assert text.startswith("<p>")


def test_long_ascii_head_before_the_text_is_skipped_by_detection() -> None:
    script = "<script>" + "var x = 1;\n" * 20_000 + "</script>"  # 220 KB of plain ASCII
    html = page(CYRILLIC * 3, script)
    assert _decode(html.encode("windows-1251"), "text/html") == html


@pytest.mark.parametrize("encoding, text", [("utf-8", CYRILLIC), ("windows-1251", CYRILLIC),
                                            ("shift_jis", JAPANESE), ("euc-jp", JAPANESE)])
def test_large_undeclared_bodies_decode_fast_and_right(encoding: str, text: str) -> None:
    # Detection reads a bounded window; a multi-byte character cut at its edge must not matter.
    html = page(("\n<p>" + text + "</p>") * (1_100_000 // len(text.encode(encoding))))
    body = html.encode(encoding)
    assert len(body) > 1_000_000
    started = time.perf_counter()
    assert _decode(body, "text/html") == html
    assert time.perf_counter() - started < 1.0
