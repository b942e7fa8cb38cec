// Stack buffers on the Run path are fully written before they are read; skip zeroing them.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
