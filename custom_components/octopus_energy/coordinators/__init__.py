"""The coordinators of the Octopus Energy integration, one per data cadence."""
