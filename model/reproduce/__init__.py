"""`pressure reproduce`: the calibration, validation, sensitivity and policy results pipeline."""
