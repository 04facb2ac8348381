"""The shared layer: configuration, problems, Chinese text, strict YAML, files, Markdown and URLs.

Everything else builds on these modules; they import nothing from the rest of the package."""
