"""Search: the data files the search page reads, and the index built from them."""
