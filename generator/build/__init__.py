"""The build's stages: content → catalogue → plan → render → publish, and what a build keeps for
the next one."""
