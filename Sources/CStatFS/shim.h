// fstatfs(2), which Swift's Glibc module leaves out: the header cache asks which file system a
// version directory is on before it trusts the directory's times (Graph/Loading/HeaderCache.swift).
#include <sys/vfs.h>
