"""`gongkai serve`: the preview server and the watcher that rebuilds on every edit."""
