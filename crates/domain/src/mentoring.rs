//! Mentor matching: can-teach × wants-to-learn, across teams, in overlapping working hours, within each mentor's capacity.
