import * as path from 'path';
import * as ts from 'typescript';

// Every public export of the package's entries — functions, classes, types, constants, the layers
// and losses namespaces — and every public member of an exported class or interface (the options
// and layer arguments) carries a doc comment: the API reference and editors' hovers are built from
// them. Inherited members count where they are declared.

const ROOT = path.join(__dirname, '..', '..');
const ENTRIES = ['src/index.ts', 'src/persistence/index.ts'].map((f) => path.join(ROOT, f));

/** The exported names (`Name`, `Name.member`, `layers.Name`) without a doc comment. */
function undocumented(): string[] {
  const program = ts.createProgram(ENTRIES, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const ours = (d: ts.Declaration | undefined) =>
    d !== undefined && !d.getSourceFile().fileName.includes('node_modules');
  const documented = (s: ts.Symbol) => ts.displayPartsToString(s.getDocumentationComment(checker)).trim() !== '';
  const missing = new Set<string>();
  const seen = new Set<ts.Symbol>();
  const visit = (exported: ts.Symbol, name: string): void => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (seen.has(symbol) || !ours(symbol.declarations?.[0])) return;
    seen.add(symbol);
    if (symbol.flags & ts.SymbolFlags.Module) {
      for (const child of checker.getExportsOfModule(symbol)) visit(child, `${name}.${child.name}`);
      return;
    }
    if (!documented(symbol)) missing.add(name);
    if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return;
    for (const member of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      const declaration = member.declarations?.[0];
      const hidden = ts.ModifierFlags.Private | ts.ModifierFlags.Protected;
      if (!ours(declaration) || ts.getCombinedModifierFlags(declaration!) & hidden) continue;
      if (!documented(member)) missing.add(`${name}.${member.name}`);
    }
  };
  for (const entry of ENTRIES) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    for (const symbol of checker.getExportsOfModule(module)) visit(symbol, symbol.name);
  }
  return [...missing].sort();
}

test('every public export, option and layer argument has a doc comment', () => {
  expect(undocumented()).toEqual([]);
}, 120_000);
