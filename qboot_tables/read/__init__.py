"""Reading: inputs of every kind, fw_cfg snapshots, the table-loader and the walk, into a TableSet."""
