global using Xunit;
global using Weaver.Benchmarks.Stores;
