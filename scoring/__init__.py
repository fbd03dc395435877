"""The pure scoring engine of DTI Desk: framework model, rules, rounding, ranking. No I/O, no Qt."""
