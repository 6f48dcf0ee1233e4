"""Understanding what a resident wrote: the one place every flow and handler reads typed words through.

Residents, often elderly, type instead of tapping, in their own words, in
five languages (ja, やさしい日本語, en, zh_Hans, vi), with typos, dialect
(「〜だっぺ」「〜してけろ」) and full-width letters. What lives where:

- ``normalise``: :func:`bot.text.fold` (width, case, katakana) plus the
  same word's other spellings (「もの忘れ」 = 「物忘れ」, 「いそぎ」 = 「急ぎ」);
  :func:`contains` for words inside a sentence.
- ``answers``: short answers to a question: yes, no, cancel (やめる), back,
  next/done (「以上です」), skip, unknown, resume, restart; the
  consultation's own yes words (「同意します」「これでお願いします」).
- ``numbers``: how many people (「ふたりです」「二人」「两个人」 "hai người").
- ``dates``: which days (「日曜日」「今度の土曜」「明日」「来週」「12/3」).
- ``negation``: whether words are denied (「暴れることはありません」), for the
  danger signals and the categories.
- ``intents``: wishes outside the open question: how is my consultation,
  a search for events with area, kind and day in one sentence, a greeting,
  thanks.

What each consultation question reads (who, categories, area, urgency,
contact) is in bot/flows/intake_words.py, built on ``normalise``; danger
signals are read in bot/services/safety.py, before everything else.
Tests: tests/test_understanding_corpus.py runs the resident utterances of
tests/corpus/utterances.py through these functions.
"""
