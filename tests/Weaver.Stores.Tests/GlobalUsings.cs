global using Xunit;
global using Weaver.Testing.Postgres;
