"""What a build keeps and writes: fingerprints and the manifest, the user's cache, atomic output writes and locks, garbage-collection policy.

Holds: cache (input fingerprints, per-output keys, the manifest's record), usercache (the
per-user cache folder), outputs (atomic writes, the folder lock, clean), gcpolicy (when Python's
full garbage collections may run). May import: lectern.problems, lectern.course.model. Nothing else.
"""
