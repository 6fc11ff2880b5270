using System.Text;
using Grader.Core.Grading;

var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
return CompileServer.Serve(input, output);
