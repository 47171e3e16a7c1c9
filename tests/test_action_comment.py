"""The sticky pull-request comment against a loopback stand-in for GitHub's REST API."""

from __future__ import annotations

import pytest

from oshealth.action.comment import MAX_COMMENT, ApiError, GitHubApi, find_comment, fit_body, upsert_comment
from tests.actionfake import MAX_BODY, READ_TOKEN, REPOSITORY, WRITE_TOKEN, fake_github

MARKER = "<!-- oshealth-diff -->"


def test_first_run_creates_second_updates_in_place() -> None:
    with fake_github() as github:
        api = GitHubApi(github.base_url, WRITE_TOKEN)
        first = upsert_comment(api, REPOSITORY, 7, MARKER, "## oshealth diff: failed\n")
        second = upsert_comment(api, REPOSITORY, 7, MARKER, "## oshealth diff: passed\n")
    assert (first.action, second.action) == ("created", "updated")
    assert first.url == second.url and first.url.endswith("#issuecomment-1001")
    assert [c["body"] for c in github.comments[7]] == [f"{MARKER}\n## oshealth diff: passed\n"]
    assert [(r["method"], r["path"]) for r in github.requests] == [
        ("GET", f"/repos/{REPOSITORY}/issues/7/comments"),
        ("POST", f"/repos/{REPOSITORY}/issues/7/comments"),
        ("GET", f"/repos/{REPOSITORY}/issues/7/comments"),
        ("PATCH", f"/repos/{REPOSITORY}/issues/comments/1001"),
    ]
    assert {r["authorization"] for r in github.requests} == {f"Bearer {WRITE_TOKEN}"}
    assert {r["accept"] for r in github.requests} == {"application/vnd.github+json"}
    assert github.requests[0]["query"] == "per_page=100"


def test_marker_on_the_second_page_is_found_through_the_link_header() -> None:
    with fake_github() as github:
        github.page_cap = 30
        for index in range(45):
            github.add_comment(3, f"comment {index}")
        ours = github.add_comment(3, f"{MARKER}\nold report", "github-actions[bot]")
        github.add_comment(3, "a later comment")
        result = upsert_comment(GitHubApi(github.base_url, WRITE_TOKEN), REPOSITORY, 3, MARKER, "new report")
    assert result.action == "updated"
    assert ours["body"] == f"{MARKER}\nnew report"
    assert len(github.comments[3]) == 47
    pages = [r["query"] for r in github.requests if r["method"] == "GET"]
    assert pages == ["per_page=100", "per_page=30&page=2"]
    assert [r["method"] for r in github.writes()] == ["PATCH"]


def test_a_quoted_marker_is_not_ours() -> None:
    with fake_github() as github:
        github.add_comment(3, f"> {MARKER}\n> quoted by a reviewer")
        result = upsert_comment(GitHubApi(github.base_url, WRITE_TOKEN), REPOSITORY, 3, MARKER, "report")
    assert result.action == "created"
    assert len(github.comments[3]) == 2


def test_read_only_token_is_refused_as_read_only() -> None:
    with fake_github() as github:
        with pytest.raises(ApiError) as info:
            upsert_comment(GitHubApi(github.base_url, READ_TOKEN), REPOSITORY, 3, MARKER, "report")
    assert info.value.status == 403 and info.value.read_only
    assert "Resource not accessible by integration" in str(info.value)
    assert github.comments == {}


def test_bad_token_and_no_server() -> None:
    with fake_github() as github:
        with pytest.raises(ApiError) as info:
            find_comment(GitHubApi(github.base_url, "nonsense"), REPOSITORY, 3, MARKER)
        assert info.value.status == 401
        address = github.base_url
    with pytest.raises(ApiError) as gone:  # the server has stopped: nothing listens on its port
        find_comment(GitHubApi(address, WRITE_TOKEN, timeout=2), REPOSITORY, 3, MARKER)
    assert gone.value.status is None and not gone.value.read_only


def test_over_long_body_is_cut_below_the_limit_and_accepted() -> None:
    report = "".join(f"- finding {index}: `pkg/module_{index}.py` has no docstring\n" for index in range(3000))
    assert len(report) > MAX_BODY
    with fake_github() as github:
        result = upsert_comment(GitHubApi(github.base_url, WRITE_TOKEN), REPOSITORY, 9, MARKER, report)
    body = github.comments[9][0]["body"]
    assert result.cut is True
    assert len(body) < MAX_COMMENT
    assert body.startswith(f"{MARKER}\n- finding 0: ")
    assert body.endswith(
        "\n\n_This comment was cut to fit GitHub's limit; the job summary and the JSON report have it all._\n"
    )
    kept = body.split("\n\n_This comment was cut")[0]
    assert kept.endswith("has no docstring")  # whole lines only
    assert len(body) > MAX_COMMENT - 200  # cut no more than needed


def test_fit_body_counts_utf16_units() -> None:
    text = "😀" * 40_000  # 80,000 UTF-16 units, 40,000 characters
    body, cut = fit_body(text)
    assert cut is True
    assert len(body) + sum(1 for c in body if ord(c) > 0xFFFF) < MAX_COMMENT
    assert fit_body("short") == ("short", False)


def test_next_link_to_another_host_is_not_followed() -> None:
    with fake_github() as github:
        github.page_cap = 1
        github.add_comment(4, "one")
        github.add_comment(4, f"{MARKER}\nours")
        api = GitHubApi(github.base_url.replace("127.0.0.1", "localhost"), WRITE_TOKEN)
        assert find_comment(api, REPOSITORY, 4, MARKER) is None  # page 2's link names 127.0.0.1: the token stays
    assert len(github.requests) == 1


def test_a_report_that_starts_with_the_marker_gets_no_second_one() -> None:
    with fake_github() as github:
        upsert_comment(GitHubApi(github.base_url, WRITE_TOKEN), REPOSITORY, 2, MARKER, f"{MARKER}\n## report\n")
    assert github.comments[2][0]["body"] == f"{MARKER}\n## report\n"
