"""Six Sigma project screens' parts: the portfolio, the workspace and the phases' tools."""
