"""Resume analysis: contact redaction, the analyse -> confirm pipeline and the draft an employee reviews."""
