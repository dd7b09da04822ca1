import {
  CompiledQuery,
  OperationNodeTransformer,
  PostgresDialect,
  PostgresDriver,
  PrimitiveValueListNode,
  ValueNode,
  type DatabaseConnection,
  type Driver,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PostgresDialectConfig,
  type QueryResult,
  type RootOperationNode,
  type TransactionSettings,
  type UnknownRow,
} from "kysely";

/** How a Kysely instance's transactions begin: `write` in READ COMMITTED, `read` as one read-only snapshot. */
export type PostgresTransactionMode = "write" | "read";

const beginStatements: Record<PostgresTransactionMode, CompiledQuery> = {
  // Writers lock what they change (SELECT … FOR UPDATE in a write session), so READ COMMITTED suffices and never fails with a serialization error.
  write: CompiledQuery.raw("begin isolation level read committed"),
  // REPEATABLE READ gives every statement of a read the same snapshot; read-only transactions never fail to serialize.
  read: CompiledQuery.raw("begin isolation level repeatable read read only"),
};

class ModalPostgresDriver extends PostgresDriver {
  private readonly begin: CompiledQuery;

  constructor(config: PostgresDialectConfig, mode: PostgresTransactionMode) {
    super(config);
    this.begin = beginStatements[mode];
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (settings.isolationLevel !== undefined || settings.accessMode !== undefined) return super.beginTransaction(connection, settings);
    await connection.executeQuery(this.begin);
  }
}

/** Kysely's PostgreSQL dialect with a chosen BEGIN, as ModalSqliteDialect does for SQLite. */
export class ModalPostgresDialect extends PostgresDialect {
  private readonly config: PostgresDialectConfig;
  private readonly mode: PostgresTransactionMode;

  constructor(config: PostgresDialectConfig, mode: PostgresTransactionMode) {
    super(config);
    this.config = config;
    this.mode = mode;
  }

  override createDriver(): Driver {
    return new ModalPostgresDriver(this.config, this.mode);
  }
}

const nul = /\u0000/g;

function scrub(value: unknown): unknown {
  if (typeof value === "string") return value.includes("\u0000") ? value.replace(nul, "\uFFFD") : value;
  if (Array.isArray(value)) return value.map(scrub);
  return value;
}

class NulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    const value = scrub(node.value);
    if (value === node.value) return node;
    return node.immediate ? ValueNode.createImmediate(value) : ValueNode.create(value);
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return PrimitiveValueListNode.create(node.values.map(scrub));
  }
}

/**
 * PostgreSQL text cannot hold U+0000 and rejects a statement that binds it. Resource documents are
 * refused before they get here (invalidValue) and filters and searches treat U+0000 exactly (it matches
 * nothing stored); any other bound text — an id from a URL, a log line — has U+0000 replaced by U+FFFD,
 * so a lookup finds nothing and a log keeps a visible mark instead of the request failing.
 */
export class ReplaceNulPlugin implements KyselyPlugin {
  private readonly transformer = new NulTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
