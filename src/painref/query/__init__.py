"""What painref answers, free of any terminal: search, compare, catalog filters, the blood-thinner
rules, conditions and handout content. Imports `store` and `model`."""
