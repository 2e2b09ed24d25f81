/**
 * @file AST -> compact s-expression text, for tests and `thc graph --stage ast`.
 * Operators print as their symbol (`(+ a b)`), unary minus as `neg`, calls as `(call f a k=v)`,
 * numbers as written (`3` vs `3.0`), absent slice parts as `~`; a Program prints one decl per line.
 */
import type * as A from './ast.js';

export type AstNode = A.Program | A.Decl | A.Stmt | A.Expr | A.TypeExpr;

const UNARY: Readonly<Record<A.UnaryOp, string>> = { '-': 'neg', '+': 'pos', not: 'not' };

/** Prints any AST node (program, declaration, statement, expression or type). */
export function printAst(node: AstNode): string {
  switch (node.kind) {
    case 'Program': return node.decls.map(printAst).join('\n');
    case 'Use': return `(use ${node.target.kind === 'Module' ? node.target.name.name : JSON.stringify(node.target.path.value)})`;
    case 'TypeAlias': return `(type ${node.name.name} ${printAst(node.type)})`;
    case 'Const': return `(const ${node.name.name} ${printAst(node.value)})`;
    case 'Shared': return `(shared ${node.name.name} ${printAst(node.type)}${node.init ? ` ${printAst(node.init)}` : ''})`;
    case 'Fn': {
      const params = node.params.length ? ` ${node.params.map(printParam).join(' ')}` : '';
      const body = node.body.kind === 'Block' ? `(block${node.body.stmts.map(s => ` ${printAst(s)}`).join('')})` : printAst(node.body.expr);
      return `(fn ${node.name.name} (params${params}) ${body})`;
    }
    case 'TypeExpr': return node.shape ? `${node.name.name}[${node.shape.map(printDim).join(',')}]` : node.name.name;
    default: return printStmtOrExpr(node);
  }
}

function printStmtOrExpr(node: A.Stmt | A.Expr): string {
  switch (node.kind) {
    case 'Let': return `(let ${node.destructure ? `(${node.names.map(n => n.name).join(' ')})` : node.names[0]?.name ?? '?'} ${printAst(node.value)})`;
    case 'Update': return `(<- ${node.target.name} ${printAst(node.value)})`;
    case 'Return': return `(return ${printAst(node.value)})`;
    case 'ExprStmt': return `(expr ${printAst(node.expr)})`;
    case 'Number': return node.text;
    case 'Bool': return String(node.value);
    case 'String': return JSON.stringify(node.value);
    case 'Name': return node.name;
    case 'Paren': return `(paren ${printAst(node.expr)})`;
    case 'Tuple': return `(tuple${node.items.map(i => ` ${printAst(i)}`).join('')})`;
    case 'Array': return `(array${node.items.map(i => ` ${printAst(i)}`).join('')})`;
    case 'Binary': return `(${node.op} ${printAst(node.left)} ${printAst(node.right)})`;
    case 'Unary': return `(${UNARY[node.op]} ${printAst(node.operand)})`;
    case 'Call': return `(call ${printAst(node.callee)}${node.args.map(a => ` ${a.name ? `${a.name.name}=` : ''}${printAst(a.value)}`).join('')})`;
    case 'Index': return `(index ${printAst(node.target)}${node.items.map(i => ` ${printIndexItem(i)}`).join('')})`;
    case 'Member': return `(. ${printAst(node.target)} ${node.member.name})`;
    case 'ErrorExpr': return '<error>';
  }
}

function printParam(p: A.Param): string {
  const parts = [p.name.name, ...(p.type ? [printAst(p.type)] : []), ...(p.default ? ['=', printAst(p.default)] : [])];
  return `(${parts.join(' ')})`;
}

function printDim(d: A.DimExpr): string {
  return d.kind === 'DimNum' ? String(d.value) : d.kind === 'DimName' ? d.name : '_';
}

function printIndexItem(i: A.IndexItem): string {
  if (i.kind === 'IndexExpr') return printAst(i.expr);
  const part = (e: A.Expr | null): string => (e ? printAst(e) : '~');
  return `(slice ${part(i.start)} ${part(i.stop)} ${part(i.step)})`;
}
