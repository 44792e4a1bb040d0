Console.Error.WriteLine("The store test worker is being built (issue 7).");
return 2;
