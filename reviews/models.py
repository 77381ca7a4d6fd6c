"""Issue placeholder: models arrive with their issue."""
