from voicelive.tools.docstrings import parse_docstring


def test_google_style() -> None:
    doc = """Log a meal for the user.

    The meal is added to today's plan.

    Args:
        food (str): What was eaten,
            as the user said it.
        grams: Amount in grams.

    Returns:
        The updated plan.
    """
    parsed = parse_docstring(doc)
    assert parsed.description == "Log a meal for the user.\n\nThe meal is added to today's plan."
    assert parsed.params == {
        "food": "What was eaten, as the user said it.",
        "grams": "Amount in grams.",
    }


def test_numpy_style() -> None:
    doc = """Search foods.

    Parameters
    ----------
    query : str
        Words to look for.
    limit : int, optional
        At most this many
        results.

    Returns
    -------
    list
        Matches.
    """
    parsed = parse_docstring(doc)
    assert parsed.description == "Search foods."
    assert parsed.params == {"query": "Words to look for.", "limit": "At most this many results."}


def test_sphinx_style() -> None:
    doc = """Set a timer.

    :param seconds: How long
        to wait.
    :param str label: Name shown to the user.
    :returns: The timer id.
    """
    parsed = parse_docstring(doc)
    assert parsed.description == "Set a timer."
    assert parsed.params == {"seconds": "How long to wait.", "label": "Name shown to the user."}


def test_empty_and_summary_only() -> None:
    assert parse_docstring(None).description == ""
    assert parse_docstring(None).params == {}
    parsed = parse_docstring("Just a summary\nthat wraps.")
    assert parsed.description == "Just a summary that wraps."
    assert parsed.params == {}


def test_google_sections_other_than_args_are_not_prose() -> None:
    parsed = parse_docstring("Do it.\n\nRaises:\n    ValueError: never.\n\nNote:\n    Hidden.\n")
    assert parsed.description == "Do it."
    assert parsed.params == {}


def test_google_star_args_and_keyword_args_headings() -> None:
    parsed = parse_docstring("X.\n\nArguments:\n    a: first\n    b (int, optional): second\n")
    assert parsed.params == {"a": "first", "b": "second"}
