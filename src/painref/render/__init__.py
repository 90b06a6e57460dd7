"""Rich views. Each function returns a renderable; only the CLI prints."""
