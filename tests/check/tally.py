"""The count of the check suites written in Python (check_findings.py,
zip_equality.py, zip_findings.py): each case is recorded with the problems
found in it, and the suite ends with the line "N passed, N failed"."""

passed = failed = 0


def record(name, problems):
    global passed, failed
    if problems:
        failed += 1
        print(f"FAIL {name}: " + "; ".join(problems))
    else:
        passed += 1
        print(f"ok   {name}")


def summary():
    """Print the closing line; the exit status of the suite."""
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
