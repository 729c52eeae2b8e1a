"""The first byte of every chunk says what it is.

Walkers (garbage collection, fsck, push and pull) need to find the addresses
a chunk refers to without knowing who wrote it; the kind byte lets them
dispatch to the right decoder (``storage.walk``).  Each kind's layout is
drawn in the docstring of the module that owns it.
"""

PROLLY_NODE = b"P"  # storage.prolly_node: a node of a prolly tree
TABLE = b"T"  # storage.table: schema + primary and secondary index roots + auto-increment
ROOT_VALUE = b"R"  # storage.root_value: table name -> table
COMMIT = b"C"  # storage.commit: root value, parents, author, message, height
REF_MAP = b"M"  # storage.refs: the database root: ref name -> address
WORKING_SET = b"W"  # storage.refs: working root + staged root (+ merge state) of a branch
TAG = b"G"  # storage.commit: an annotated tag: commit, tagger, message
BLOB = b"B"  # raw bytes with no children (large values split out of rows)

ALL = (PROLLY_NODE, TABLE, ROOT_VALUE, COMMIT, REF_MAP, WORKING_SET, TAG, BLOB)
