"""docs/workflow.md is generated from the transition tables and must not go stale."""

from django.core.management import call_command

from suyuan.disputes.management.commands.workflow_docs import render
from suyuan.disputes.workflow import REGISTRY


def test_every_lifecycle_is_documented_with_a_diagram():
    text = render()
    for lifecycle in REGISTRY.values():
        assert f"`{lifecycle.name}`" in text
        for row in lifecycle.transitions:
            assert f"`{row.action}` {row.label}" in text
    assert text.count("stateDiagram-v2") == len(REGISTRY)


def test_committed_docs_are_up_to_date():
    # Fails with a Chinese message when someone changes a table without regenerating the docs.
    call_command("workflow_docs", "--check")
