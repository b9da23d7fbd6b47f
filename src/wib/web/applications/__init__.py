"""The applicant's pages: start, fill in, submit and follow applications, and the demo eBox."""
