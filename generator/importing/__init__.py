"""`gongkai import`: raw texts and saved pages → content files, with what could not be read."""
