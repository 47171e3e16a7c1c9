"""Per-file analysis: pure functions of a file's bytes (and nothing else).

Each Python file is read once and parsed once; the same tree feeds the
docstring, complexity and test analysers. Results are frozen records so that
they can be cached by git blob id and computed in parallel.
"""
